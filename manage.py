#!/usr/bin/env python
from zonedesk.cli import main

if __name__ == "__main__":
    main()
