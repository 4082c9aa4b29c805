"""`python -m execbrief`: the same as the `execbrief` command."""

from .cli import main

main()
