"""nbclient's NotebookClient, for notebooks with widgets: it never waits a cell's whole time limit for a reply that
has already come.

While a cell runs, nbclient answers the kernel's Output widgets on the shell channel (OutputWidget.sync_state),
on the socket where it is waiting for the cell's reply. Now and then that send swallows the socket's wake-up for
a reply that arrives meanwhile (jupyter/nbclient#312; pyzmq's asyncio poll wakes on the socket's edge-triggered
descriptor). The reply is read only when the wait times out: a cell of a second takes the whole limit, and is
sometimes failed as timed out. Here the wait for a reply looks at the socket at least once a second.

    from helpers.notebook_client import NotebookClient   # in place of nbclient's

Its kernels talk over Unix sockets in a folder of this process's, not TCP ports: a free port found by the client
can be taken by another kernel before this one binds it, and the kernel dies before it answers ("Address already
in use"), which happens when many notebooks start at once.
"""
import atexit
import os
import shutil
import tempfile
import time
import uuid
from queue import Empty

import nbclient
from jupyter_client.manager import KernelManager

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


_socket_folder = []


def socket_prefix():
    """A new path prefix for one kernel's Unix sockets, in a folder of this process's (removed when it exits)."""
    if not _socket_folder:
        folder = tempfile.mkdtemp(prefix="nbclient-ipc-")
        atexit.register(shutil.rmtree, folder, True)
        _socket_folder.append(folder)
    return os.path.join(_socket_folder[0], uuid.uuid4().hex[:12])


class NotebookClient(Wakeful, nbclient.NotebookClient):
    """nbclient.NotebookClient whose wait for a cell's reply wakes every second, and whose kernels use Unix
    sockets."""

    def create_kernel_manager(self):
        kernel_manager = super().create_kernel_manager()
        if isinstance(kernel_manager, KernelManager) and not kernel_manager.has_kernel:
            kernel_manager.transport = "ipc"
            kernel_manager.ip = socket_prefix()
        return kernel_manager
