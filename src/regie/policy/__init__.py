"""The strategic framework (issue 4): rule sets, findings, acceptances and the sovereignty scorecard."""
