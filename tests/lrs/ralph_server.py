"""Starts the Ralph LRS (ralph-malph 5.1.0) with its file-system backend for Warroom's tests.

Usage: python ralph_server.py HOST PORT

Ralph reads its settings from the environment (RALPH_AUTH_FILE, RALPH_RUNSERVER_BACKEND=fs,
RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH). This is `ralph runserver -b fs` with one change:
5.1.0's file-system LRS backend writes its single statements file with the "create" operation, so
every write after the first is refused ("already exists and overwrite is not allowed") and the
LRS answers 500. Its own "append" operation is what a file-system LRS needs; make it the default.
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    host, port = sys.argv[1], int(sys.argv[2])
    uvicorn.run("ralph.api:app", host=host, port=port, log_level="warning")
