JunctionBench.main()
