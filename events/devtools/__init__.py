"""Demo and scale data, benchmarks and the load test: nothing a production server imports."""
