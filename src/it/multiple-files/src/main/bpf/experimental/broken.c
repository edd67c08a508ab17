this is not C and must be excluded
