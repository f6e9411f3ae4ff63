"""The recruitment service of the union social worker platform."""
