from tests.routes import OFFICE, Route

# the outbox: only the office sees the mails that did not go out and sends them again
ROUTES = [
    Route("/mails", OFFICE),
    Route("/mails/retry", OFFICE, method="POST"),
    Route("/mails/<int:job_id>/retry", OFFICE, method="POST", params={"job_id": "mail_job"}),
]
