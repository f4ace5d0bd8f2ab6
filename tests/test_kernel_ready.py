"""When a grading kernel counts as ready (sandbox.ReadyKernelClient): as soon as it is, and never before.

A kernel is ready once IOPub is connected and it has answered kernel_info; what it sent
before that must not reach the first cell. These tests drive the client's wait with channels
that play a kernel's messages in a given order, losing what a real IOPub subscription loses.
"""
import asyncio
import itertools
from queue import Empty

import pytest

from autograder import sandbox


class Channel:
    """A channel that hands out its messages in order, then reports silence (Empty)."""

    def __init__(self):
        self.messages = []

    async def get_msg(self, timeout=None):
        await asyncio.sleep(0)
        if not self.messages:
            raise Empty
        return self.messages.pop(0)


class Kernel:
    """Stands in for the client: kernel_info() queues the kernel's answer, as the kernel would send it."""

    def __init__(self, greets=True, iopub_connects_after=0, alive=True):
        self.shell_channel, self.iopub_channel = Channel(), Channel()
        self.requests, self.handled = [], []
        self.ids = (f"request-{number}" for number in itertools.count())
        self.alive = alive
        self.iopub_connects_after = iopub_connects_after  # kernel_info requests whose status messages are lost
        if greets:
            self.iopub_channel.messages.append(message("iopub_welcome", None))

    def kernel_info(self):
        request = next(self.ids)
        self.requests.append(request)
        if self.alive:
            self.shell_channel.messages.append(message("kernel_info_reply", request))
            if len(self.requests) > self.iopub_connects_after:
                self.iopub_channel.messages += [message("status", request, execution_state="busy"),
                                                message("status", request, execution_state="idle")]
        return request

    async def _async_is_alive(self):
        return self.alive

    def _handle_kernel_info_reply(self, reply):
        self.handled.append(reply["parent_header"]["msg_id"])


def message(kind, parent, **content):
    return {"msg_type": kind, "parent_header": {"msg_id": parent} if parent else {}, "content": content}


def wait_for_ready(kernel, timeout=5):
    asyncio.run(sandbox.ReadyKernelClient._async_wait_for_ready(kernel, timeout=timeout))


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    monkeypatch.setattr(sandbox, "KERNEL_INFO_AGAIN_SECONDS", 0.001)


def test_a_kernel_that_greets_is_asked_once_and_leaves_nothing_behind():
    kernel = Kernel()
    wait_for_ready(kernel)
    assert kernel.requests == ["request-0"] and kernel.handled == ["request-0"]
    assert kernel.shell_channel.messages == [] and kernel.iopub_channel.messages == []


def test_a_kernel_that_does_not_greet_is_asked_until_iopub_carries_a_status():
    kernel = Kernel(greets=False, iopub_connects_after=3)
    wait_for_ready(kernel)
    # three requests lost their status messages, the fourth proved IOPub, the fifth was answered on both channels
    assert len(kernel.requests) == 5 and kernel.handled == ["request-4"]
    assert kernel.shell_channel.messages == [] and kernel.iopub_channel.messages == []


def test_replies_to_earlier_requests_are_not_taken_for_the_last_ones():
    kernel = Kernel(greets=False, iopub_connects_after=1)
    wait_for_ready(kernel)
    assert kernel.handled == [kernel.requests[-1]]


def test_a_dead_kernel_is_reported_not_awaited():
    kernel = Kernel(greets=False, alive=False)
    with pytest.raises(RuntimeError, match="died"):
        wait_for_ready(kernel)


def test_a_silent_kernel_is_given_up_at_the_timeout():
    kernel = Kernel(greets=False, iopub_connects_after=10**9)
    with pytest.raises(RuntimeError, match="didn't respond"):
        wait_for_ready(kernel, timeout=0.05)
