"""Local stand-ins for the outside world, for `make demo` and the tests: moto server for AWS."""
