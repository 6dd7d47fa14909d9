# SPDX-License-Identifier: GPL-2.0
# CDF of the MSK-update delay (MSK change until the UE holds the new MSK)
# for the four policy x jitter combinations.
# Usage: gnuplot -e "dir='OUT'" sim/cdf.gp
if (!exists("dir")) dir = "sim/results/default"
load dir."/params.gp"
set terminal pngcairo size 1100,700 font ",11"
set output dir."/delay-cdf.png"
set datafile separator ","
set title sprintf("MSK-update delay CDF (%d UEs, seed %d; new MSK in use at %g s, dotted)", ues, seed, lead)
set xlabel "seconds from the MSK change until the UE holds the new MSK (log scale)"
set ylabel "fraction of UEs"
set logscale x
set xrange [0.1:*]
set yrange [0:1.02]
set grid
set key bottom right
set arrow 1 from lead, graph 0 to lead, graph 1 nohead dt 3 lc rgb "gray40"
plot dir."/cdf-relaxed-nojitter.csv" using 1:2 every ::1 with lines lw 2 lc rgb "#1f77b4" dt 2 title "relaxed, jitter off", \
     dir."/cdf-relaxed-jitter.csv" using 1:2 every ::1 with lines lw 2 lc rgb "#1f77b4" title sprintf("relaxed, jitter %g s", jitter), \
     dir."/cdf-strict-nojitter.csv" using 1:2 every ::1 with lines lw 2 lc rgb "#d62728" dt 2 title "strict, jitter off", \
     dir."/cdf-strict-jitter.csv" using 1:2 every ::1 with lines lw 2 lc rgb "#d62728" title sprintf("strict, jitter %g s", jitter)
