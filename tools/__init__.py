"""Tools of the repository (checks run by .ci/run); not part of the installed package."""
