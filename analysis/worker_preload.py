"""Imported by the fork server of `score`'s local Dask cluster (`engine.start_fork_server`), never by the package
itself: loads what scoring needs (`score.preload`: the dictionaries, the study's frame coder and the spaCy
pipeline, then left out of the garbage collector's passes), so that the worker processes forked from the server
start with it loaded and share its memory pages, as the process pool's workers share the command's."""
from analysis.score import preload

try:
    preload()
except Exception:  # a server that failed to start could start no worker: each worker then meets the error itself
    pass
