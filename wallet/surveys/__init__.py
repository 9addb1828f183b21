"""Experience surveys: issuers ask, earners answer, issuers learn (in aggregate).

``questions.py`` (pure) defines questions, ``answers.py`` (pure) checks what an earner sent,
``results.py`` (pure) aggregates with k-anonymity; ``service.py`` holds the use cases.
"""
