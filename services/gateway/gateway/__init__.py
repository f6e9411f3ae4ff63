"""The gateway service of the union social worker platform."""
