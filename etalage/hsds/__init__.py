"""Open Referral HSDS 3.0 (docs/hsds.md): the etalage as an HSDS publisher, with its
waiting times, capacity and outcome indicators as the Etalage profile."""
