"""Assessments: growth on a UK-WHO chart, injuries on a body map, DASH and pre-birth assessments."""
