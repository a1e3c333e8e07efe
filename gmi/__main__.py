import sys

from gmi.cli import main

sys.exit(main())
