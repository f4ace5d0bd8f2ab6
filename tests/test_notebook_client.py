"""The notebook client's wait for a cell's reply wakes every second (helpers/notebook_client.py): a reply whose
wake-up was lost (jupyter/nbclient#312) is read within a second, not at the cell's time limit."""
import asyncio
import os
import time
from queue import Empty

import pytest

from autograder import preprocessors
from helpers import notebook_client


class LostWakeUp:
    """A channel whose reply arrives at `ready_at` and whose wait never wakes for it: only a wait that starts after
    the reply has arrived returns it (as pyzmq's poll, which looks at the socket once more when it times out)."""

    def __init__(self, ready_at):
        self.ready_at = ready_at

    async def get_msg(self, timeout=None):
        if time.monotonic() >= self.ready_at:
            return {"msg_type": "execute_reply"}
        await asyncio.sleep(timeout)
        if time.monotonic() >= self.ready_at:
            return {"msg_type": "execute_reply"}
        raise Empty


def test_a_reply_whose_wake_up_was_lost_is_read_at_the_next_look_not_at_the_time_limit():
    channel = LostWakeUp(ready_at=time.monotonic() + 0.2)
    notebook_client.wake_every(channel, seconds=0.1)
    started = time.monotonic()
    assert asyncio.run(channel.get_msg(timeout=30))["msg_type"] == "execute_reply"
    assert time.monotonic() - started < 10  # without the wake-ups: 30 s


def test_no_reply_is_still_a_time_out_after_the_whole_limit():
    channel = LostWakeUp(ready_at=float("inf"))
    notebook_client.wake_every(channel, seconds=0.1)
    started = time.monotonic()
    with pytest.raises(Empty):
        asyncio.run(channel.get_msg(timeout=0.5))
    assert time.monotonic() - started >= 0.5


def test_every_notebook_runner_of_the_course_wakes():
    from autograder import publish, run_notebook

    for client in (run_notebook.NotebookClient, publish.NotebookClient, preprocessors.ResilientExecute):
        assert issubclass(client, notebook_client.Wakeful), client


def test_the_course_s_notebook_client_talks_to_its_kernel_over_unix_sockets():
    """No TCP port to race for: a port found free can be taken by another kernel before this one binds it."""
    import nbformat

    from helpers.notebook_client import NotebookClient

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    client = NotebookClient(notebook, timeout=120, kernel_name="python3")
    manager = client.create_kernel_manager()
    assert manager.transport == "ipc" and os.path.isabs(manager.ip)
    client.execute()
    assert notebook.cells[0].outputs[0]["text"] == "42\n"
