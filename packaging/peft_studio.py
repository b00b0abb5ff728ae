"""The bundle's entry script (PyInstaller freezes this file)."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()   # a library's spawn/forkserver child re-enters here
    from studio.bundle import main

    sys.exit(main())
