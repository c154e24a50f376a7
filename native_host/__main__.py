import sys

from native_host.cli import main

sys.exit(main())
