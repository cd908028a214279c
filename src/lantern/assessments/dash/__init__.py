"""DASH risk checklist: the 27 questions, the high-risk threshold, professional judgement, police call-outs
and the MARAC referral."""
