"""`python -m salesdev_tui` runs the command line."""

from salesdev_tui.cli import main

main()
