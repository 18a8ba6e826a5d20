#!/usr/bin/env python
from khabar.__main__ import main

if __name__ == "__main__":
    main()
