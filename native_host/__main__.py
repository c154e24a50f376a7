import sys

from native_host.cli.main import main

sys.exit(main())
