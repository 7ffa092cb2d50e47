from newsweave.cli import run

run()
