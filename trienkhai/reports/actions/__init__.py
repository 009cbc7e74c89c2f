"""Every write of the reports app: requests (`requests`), a unit's draft and its submission
(`drafting`), the requester's review (`review`) and the issue of a report as a BC (`issue`)."""
