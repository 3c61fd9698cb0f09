import atexit
import os
import sys

from usmx.cli import main

try:
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
except BrokenPipeError:  # output piped into `head` and the like: stop quietly
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    code = 0
# Everything is written, closed and flushed by now: run the exit handlers, then leave
# without the interpreter's teardown, which spends about 0.2 s freeing the objects of
# pandas and matplotlib one by one (a third of their import time).
atexit._run_exitfuncs()
for stream in (sys.stdout, sys.stderr):
    stream.flush()
os._exit(code if isinstance(code, int) else 1)
