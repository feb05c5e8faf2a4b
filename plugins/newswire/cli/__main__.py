"""`python -m newswire.cli`."""

import sys

from newswire.cli import main

if __name__ == "__main__":
    sys.exit(main())
