"""The payroll service of the union social worker platform."""
