capacity = 10000
lead = 60
jitter = 30
ues = 100000
seed = 1
