from django.db import models


class UserType(models.TextChoices):
    JOB_SEEKER = "job_seeker", "Job seeker"
    RECRUITER = "recruiter", "Recruiter"
    ADMIN = "admin", "Admin"
