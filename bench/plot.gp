# gnuplot script of `make bench` (bench/report.py passes datafile and
# outfile): CPU ns per packet against RTP payload size, suite 80, 1 vCPU.
# Columns: payload kernel_total relay_total module relay_own kfloor ofloor idle
set terminal pngcairo size 900,640 noenhanced font ",10"
set output outfile
set title "mbms-srtp: CPU time per packet (QEMU TCG guest, 1 vCPU, AES_CM_128_HMAC_SHA1_80)"
set xlabel "RTP payload (bytes)"
set ylabel "ns per packet (emulated CPU)"
set key below maxrows 4
set grid
set xrange [0:1300]
set yrange [0:*]
plot datafile using 1:2 with linespoints lw 2 pt 7 title "kernel path, whole system", \
     datafile using 1:3 with linespoints lw 2 pt 5 title "libsrtp2 relay, whole system", \
     datafile using 1:8 with linespoints lw 1 pt 1 dt 2 title "idle module (network stack only)", \
     datafile using 1:4 with linespoints lw 2 pt 9 title "module own cost (kernel - idle)", \
     datafile using 1:5 with linespoints lw 2 pt 11 title "relay own cost (relay - idle)", \
     datafile using 1:6 with linespoints lw 2 pt 13 title "kernel crypto floor", \
     datafile using 1:7 with linespoints lw 1 pt 3 title "OpenSSL crypto floor"
