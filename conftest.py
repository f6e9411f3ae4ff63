pytest_plugins = ["union_dev.testing.fixtures"]
