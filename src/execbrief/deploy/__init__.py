"""Running execbrief on AWS: the SAM application ``execbrief deploy aws`` writes, and its Lambda entry point.

The library is the same everywhere; only the entry point differs (``lambda_handler.py``),
with the workspace and ledger kept in S3 (``s3_workspace.py``).
"""

from .aws import AwsApp, build_template, write_app

__all__ = ["AwsApp", "build_template", "write_app"]
