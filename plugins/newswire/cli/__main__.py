"""`python -m newswire.cli`."""

import sys

from newswire.cli import main

sys.exit(main())
