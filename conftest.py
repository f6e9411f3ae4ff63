pytest_plugins = ["union_shared.testing.fixtures"]
