"""The pure core of pay: policy data, the monthly payslip, income tax, funder split, arrears.

No I/O, no database, no clock: every function takes its facts and returns a value.
"""
