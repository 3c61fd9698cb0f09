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
sys.exit(code)
