"""The ``idura-cognito`` command line."""
