import sys

from sianode.cli.main import main

sys.exit(main())
