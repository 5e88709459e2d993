"""Executes a notebook headless with nbclient (cells assert their own results); writes the executed
copy next to the given output path when one is given."""
import os
import sys

import nbformat
from nbclient import NotebookClient

path = sys.argv[1]
out = sys.argv[2] if len(sys.argv) > 2 else None
nb = nbformat.read(path, as_version=4)
client = NotebookClient(nb, timeout=300, kernel_name="python3",
                        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
client.execute()
if out:
    os.makedirs(os.path.dirname(out), exist_ok=True)
    nbformat.write(nb, out)
code = [c for c in nb.cells if c.cell_type == "code"]
print(f"notebook {os.path.basename(path)}: {len(code)} code cells ran without error")
