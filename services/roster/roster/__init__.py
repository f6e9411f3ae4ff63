"""The roster service of the union social worker platform."""
