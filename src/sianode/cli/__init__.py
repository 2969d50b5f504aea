"""The ``sianode`` command line: one module per subcommand (see :mod:`sianode.cli.main`)."""
