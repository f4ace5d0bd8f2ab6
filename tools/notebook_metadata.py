"""Write into the course's notebooks the metadata a kernel fills in when JupyterLab opens them.

    .venv/bin/python tools/notebook_metadata.py    # notebooks/ and source/; then `make release`

JupyterLab sets a notebook's kernelspec and language_info from the running kernel and marks the
notebook unsaved when they differ from the file's: committed with exactly those values, a notebook
opens clean. The values are the installed ipykernel's; language_info's "version" is the course's
Python (with another Python, JupyterLab changes that one field, in the student's copy only).
"""
import sys
from pathlib import Path

import nbformat
from ipykernel.ipkernel import IPythonKernel
from jupyter_client.kernelspec import KernelSpecManager

REPO_ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("notebooks", "source")
KERNEL_NAME = "python3"


def kernel_metadata():
    """{"kernelspec": ..., "language_info": ...} as JupyterLab writes them for the course's kernel."""
    spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    return {"kernelspec": {"display_name": spec.display_name, "language": spec.language, "name": KERNEL_NAME},
            "language_info": dict(IPythonKernel.language_info)}


def main():
    metadata = kernel_metadata()
    changed = []
    for path in sorted(path for folder in FOLDERS for path in (REPO_ROOT / folder).rglob("*.ipynb")
                       if ".ipynb_checkpoints" not in path.parts):
        notebook = nbformat.read(path, as_version=4)
        if {key: notebook.metadata.get(key) for key in metadata} != metadata:
            notebook.metadata.update(metadata)
            nbformat.write(notebook, path)
            changed.append(path.relative_to(REPO_ROOT))
    print("\n".join(f"updated {path}" for path in changed) or "every notebook already has the kernel's metadata")
    if any(path.parts[0] == "source" for path in changed):
        print("source/ changed: run `make release` to regenerate release/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
