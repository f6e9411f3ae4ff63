"""Development-only tooling: the embedded broker, the `make run` platform runner and the test
helpers. A workspace package of its own, so no service image installs it."""
