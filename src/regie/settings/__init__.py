"""Django settings: ``base`` holds everything, ``test`` and ``production`` adjust it."""
