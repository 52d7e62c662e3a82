"""Plotting: one module per figure group. Functions take DataFrames read from Parquet and an
output path; they never compute science (that lives in the package's other modules)."""
