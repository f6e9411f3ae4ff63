"""The grading service of the union social worker platform."""
