capacity = 1000
lead = 60
jitter = 30
ues = 10000
seed = 1
