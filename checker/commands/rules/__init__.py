"""`shingikai rules`: the catalogue's list, a rule's details, the examples check and calibration."""
