"""nbclient's NotebookClient, for notebooks with widgets: it never waits a cell's whole time limit for a reply that
has already come.

While a cell runs, nbclient answers the kernel's Output widgets on the shell channel (OutputWidget.sync_state),
on the socket where it is waiting for the cell's reply. Now and then that send swallows the socket's wake-up for
a reply that arrives meanwhile (jupyter/nbclient#312; pyzmq's asyncio poll wakes on the socket's edge-triggered
descriptor). The reply is read only when the wait times out: a cell of a second takes the whole limit, and is
sometimes failed as timed out. Here the wait for a reply looks at the socket at least once a second.

    from helpers.notebook_client import NotebookClient   # in place of nbclient's
"""
import time
from queue import Empty

import nbclient

WAKE_SECONDS = 1.0


def wake_every(channel, seconds=WAKE_SECONDS):
    """Make an asynchronous channel's get_msg look at its socket at least every `seconds`, within the same total
    time limit."""
    get_msg = channel.get_msg

    async def get_msg_waking(timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                return await get_msg(timeout=seconds if left is None else min(seconds, left))
            except Empty:
                if left is not None and left <= seconds:
                    raise

    channel.get_msg = get_msg_waking


class Wakeful:
    """Mixed into a NotebookClient (or one of its subclasses, such as nbconvert's and nbgrader's preprocessors):
    its kernel client's shell channel wakes every WAKE_SECONDS."""

    async def async_start_new_kernel_client(self):
        kernel_client = await super().async_start_new_kernel_client()
        wake_every(kernel_client.shell_channel)
        return kernel_client


class NotebookClient(Wakeful, nbclient.NotebookClient):
    """nbclient.NotebookClient whose wait for a cell's reply wakes every second."""
