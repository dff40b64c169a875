from openuhc.cli import main

main()
