"""Disclosures by children: a young person aged 14-17 telling of suicidal plans, self-harm, exploitation or
abuse is a child's disclosure, referred to children's social care as for any child."""
