JunctionCtl.main()
